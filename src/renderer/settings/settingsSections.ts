/**
 * The Settings window's sections, in sidebar order. The hash of the page's URL names the one to
 * show (`settings.html#routing`), so the main process can open Settings on a given section and
 * a reload keeps the user where they were.
 */
export const SETTINGS_SECTIONS = [
  { id: 'providers', label: 'Providers' },
  { id: 'routing', label: 'Routing' },
  { id: 'proxy', label: 'Proxy' },
  { id: 'claude', label: 'Claude Code' },
  { id: 'usage', label: 'Usage' },
  { id: 'import', label: 'Import' },
] as const;

export type SettingsSectionId = (typeof SETTINGS_SECTIONS)[number]['id'];

export function sectionFromHash(hash: string): SettingsSectionId {
  const wanted = hash.replace(/^#/, '');
  return SETTINGS_SECTIONS.find((section) => section.id === wanted)?.id ?? 'providers';
}
