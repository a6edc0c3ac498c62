/** Opens a section of the Settings window through its sidebar, as a user would. */
import type { Page } from 'playwright';

export async function openSettingsSection(page: Page, label: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('link', { name: label })
    .click();
}
