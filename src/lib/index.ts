// Small named primitives shared by every layer: time (Clock, ManualClock for tests), copying JSON data. No I/O policy lives here.
export { type Clock, realClock, sleep } from './clock.js';
export { ManualClock } from './manual-clock.js';
export { scaledClock } from './scaled-clock.js';
export { compiledFile } from './compiled-file.js';
export { copyJson } from './copy-json.js';
export { childSignal } from './child-signal.js';
