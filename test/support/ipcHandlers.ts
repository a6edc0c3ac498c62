/**
 * IPC handlers over a real controller, for tests that drive the windows' actions rather than the
 * desktop around them: the file dialogs choose nothing, the environment is empty, and the
 * clipboard, window and login-item calls do nothing. Claude Code's settings file lives under
 * `home`. A test that needs one of those effects passes it in `overrides`.
 */
import { join } from 'node:path';
import type { TurnoutController } from '../../src/main/app/controller';
import { ModelListCache } from '../../src/main/app/modelList';
import type { IpcHandlers } from '../../src/main/desktop/ipcDispatch';
import { createIpcHandlers, type IpcHandlerDeps } from '../../src/main/desktop/ipcHandlers';

export function quietIpcHandlers(
  controller: TurnoutController,
  home: string,
  overrides: Partial<IpcHandlerDeps> = {},
): IpcHandlers {
  return createIpcHandlers({
    controller,
    models: new ModelListCache({ getSnapshot: controller.getSnapshot }),
    claudeSettingsPath: join(home, '.claude', 'settings.json'),
    chooseEnvFile: async () => null,
    readTextFile: async () => '',
    environment: () => ({}),
    copyText: () => undefined,
    openLogWindow: () => undefined,
    openSettingsWindow: () => undefined,
    applyStartAtLogin: () => undefined,
    ...overrides,
  });
}
