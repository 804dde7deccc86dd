#!/usr/bin/env node
// The command-line tool, from the compiled build (`npm run build`).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
