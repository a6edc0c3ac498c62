/**
 * The Settings window: the proxy's status on top, a sidebar of sections, and the one section the
 * user picked. One long form stopped being readable once routing, profiles and prices arrived.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { AppState } from '../../shared/appState';
import { useAppState } from '../common/useAppState';
import { ClaudeSection } from './ClaudeSection';
import { CustomProviderForm } from './CustomProviderForm';
import { ImportSection } from './ImportSection';
import { ListenSection } from './ListenSection';
import { ProviderSection } from './ProviderSection';
import { RoutingSection } from './RoutingSection';
import { SETTINGS_SECTIONS, sectionFromHash, type SettingsSectionId } from './settingsSections';
import { StatusHeader } from './StatusHeader';
import { UsageSection } from './UsageSection';

function ProvidersSection({ state }: { state: AppState }) {
  return (
    <section>
      <h2>Providers</h2>
      <p className="muted">
        Claude Code’s sonnet requests go to the big model, haiku to the small one, opus to the opus model (or
        the big one). A switch applies to the next request.
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
  );
}

function sectionContent(id: SettingsSectionId, state: AppState): ReactNode {
  switch (id) {
    case 'providers':
      return <ProvidersSection state={state} />;
    case 'routing':
      return <RoutingSection state={state} />;
    case 'proxy':
      return <ListenSection state={state} />;
    case 'claude':
      return <ClaudeSection baseUrl={state.baseUrl} />;
    case 'usage':
      return <UsageSection usage={state.settings.usage} />;
    case 'import':
      return <ImportSection />;
  }
}

export function SettingsApp() {
  const state = useAppState();
  const [current, setCurrent] = useState<SettingsSectionId>(() => sectionFromHash(window.location.hash));
  useEffect(() => {
    const follow = () => setCurrent(sectionFromHash(window.location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  if (!state) return <p className="loading">Loading…</p>;
  return (
    <main className="settings">
      <StatusHeader state={state} />
      <div className="settings-body">
        <nav className="settings-nav" aria-label="Settings sections">
          {SETTINGS_SECTIONS.map((section) => (
            <a
              key={section.id}
              href={`#${section.id}`}
              aria-current={section.id === current ? 'page' : undefined}
              onClick={() => setCurrent(section.id)}
            >
              {section.label}
            </a>
          ))}
        </nav>
        <div className="settings-section" data-testid={`settings-${current}`}>
          {sectionContent(current, state)}
        </div>
      </div>
    </main>
  );
}
