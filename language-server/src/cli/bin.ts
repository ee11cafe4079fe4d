import { runCli } from './main.js';

const status = runCli(process.argv.slice(2));
if (typeof status === 'number') process.exitCode = status;
else if (status !== 'serving') process.exitCode = await status;
