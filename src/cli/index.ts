// The command line: `bin/skiff` and its subcommands. This layer composes every other one; nothing imports it.
export { main } from './main.js';
