// Runs the TypeScript sources directly (no build step): swc compiles each file as Node
// loads it, keeping decorator metadata for NestJS and resolving our @tagplan/* aliases.
const path = require('node:path');
process.env.TS_NODE_PROJECT ??= path.join(__dirname, '..', 'tsconfig.json');
process.env.SWC_NODE_PROJECT ??= path.join(__dirname, '..', 'tsconfig.json');
require('@swc-node/register');
