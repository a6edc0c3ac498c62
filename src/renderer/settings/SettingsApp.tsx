/** The Settings window: status, proxy address, providers, routing, import, Claude Code check. */
import { useAppState } from '../common/useAppState';
import { ClaudeSection } from './ClaudeSection';
import { CustomProviderForm } from './CustomProviderForm';
import { ImportSection } from './ImportSection';
import { ListenSection } from './ListenSection';
import { ProviderSection } from './ProviderSection';
import { RoutingSection } from './RoutingSection';
import { StatusHeader } from './StatusHeader';
import { UsageSection } from './UsageSection';

export function SettingsApp() {
  const state = useAppState();
  if (!state) return <p className="loading">Loading…</p>;
  return (
    <main className="settings">
      <StatusHeader state={state} />
      <ListenSection state={state} />
      <section>
        <h2>Providers</h2>
        <p className="muted">
          Claude Code’s sonnet requests go to the big model, haiku to the small one, opus to the opus model
          (or the big one). A switch applies to the next request.
        </p>
        {state.providers.map((provider) => (
          <ProviderSection
            key={provider.id}
            provider={provider}
            active={provider.id === state.settings.activeProvider}
          />
        ))}
        <CustomProviderForm />
      </section>
      <RoutingSection state={state} />
      <ImportSection />
      <UsageSection usage={state.settings.usage} />
      <ClaudeSection baseUrl={state.baseUrl} />
    </main>
  );
}
