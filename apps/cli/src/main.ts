import { CommanderError } from 'commander';
import { createProgram } from './program';
import { report } from './output';

async function main(argv: string[]): Promise<number> {
  try {
    await createProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    return report(error, argv.includes('--json'));
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
