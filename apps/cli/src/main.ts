import { CommanderError } from 'commander';
import { createProgram } from './program';
import { report } from './output';

async function main(argv: string[]): Promise<number> {
  try {
    await createProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    const json = argv.includes('--json');
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      // commander has already told a person on stderr; a machine reading stdout gets JSON too.
      if (json) process.stdout.write(`${JSON.stringify({ error: 'usage', message: error.message.replace(/^error: /, ''), details: [] }, null, 2)}\n`);
      return 2;
    }
    return report(error, json);
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
