/**
 * The status line as a built entry (out/main/statusline.js) for the desktop app, which runs it
 * with its own executable as Node (ELECTRON_RUN_AS_NODE=1): no separate Node install needed.
 */
import { runStatusLine } from './statusline';

void runStatusLine();
