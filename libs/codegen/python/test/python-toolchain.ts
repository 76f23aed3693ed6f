import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyFilesInMemory, formatIssues, type InMemoryCatalog } from '@tagplan/catalog';
import { buildLangpackModel, writeGeneratedFiles, type LangpackModel } from '@tagplan/codegen-core';
import { generatePython } from '@tagplan/codegen-python';

/** Helpers the Python langpack specs share: the interpreter, commands, generation into folders. */

export const PYTHON = process.env['PYTHON'] ?? 'python3';
export const FIXTURES = path.join(__dirname, 'fixtures');

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command without blocking the event loop (an in-process HTTP server may have to answer it). */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: { ...process.env, ...options.env }, timeout: options.timeoutMs ?? 240_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ status, stdout: stdout.toString(), stderr: stderr.toString() });
      },
    );
  });
}

/** Environment for running Python against generated packages: no bytecode left behind. */
export function pythonEnv(roots: string[]): NodeJS.ProcessEnv {
  return { PYTHONPATH: roots.join(path.delimiter), PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8' };
}

/** Generates one langpack into `<root>/<folder>` and returns that folder. */
export async function generateInto(root: string, folder: string, model: LangpackModel): Promise<string> {
  const directory = path.join(root, folder);
  await writeGeneratedFiles(directory, generatePython(model));
  return directory;
}

export function modelOf(catalog: InMemoryCatalog, environment: string): LangpackModel {
  return buildLangpackModel(catalog, environment);
}

export function catalogFrom(content: unknown): InMemoryCatalog {
  const result = applyFilesInMemory([{ name: 'test-catalog.yaml', content }]);
  if (!result.ok) throw new Error(formatIssues(result.issues));
  return result.value;
}

/** Whether `python3 -c <code>` succeeds (a module is importable, say). */
export function pythonCan(code: string): boolean {
  return spawnSync(PYTHON, ['-c', code], { stdio: 'ignore' }).status === 0;
}

/** A Python 3.9 interpreter to run the langpacks on their oldest supported version, if the machine has one. */
export function findPython39(): string | undefined {
  const candidates = [process.env['PYTHON39'], 'python3.9'];
  const pyenv = process.env['PYENV_ROOT'] ?? path.join(os.homedir(), '.pyenv');
  const versions = path.join(pyenv, 'versions');
  if (existsSync(versions)) {
    for (const version of readdirSync(versions).filter((name) => name.startsWith('3.9')).sort().reverse()) {
      candidates.push(path.join(versions, version, 'bin', 'python3.9'));
    }
  }
  return candidates.find((candidate): candidate is string => {
    if (!candidate) return false;
    const probe = spawnSync(candidate, ['-c', 'import sys; assert sys.version_info[:2] == (3, 9)'], { stdio: 'ignore' });
    return probe.status === 0;
  });
}

/**
 * A catalog whose names clash with Python: fields named after keywords, builtins, typing
 * names and members of the generated classes; enum values that are not identifiers;
 * events whose class names are taken.
 */
export function escapingCatalog(): InMemoryCatalog {
  const plain = { type: 'string' };
  const fieldNames = ['class', 'default', 'func', 'namespace', 'from', 'import', 'self', 'string', 'object', 'id', 'property', 'str', 'to_data', 'value', 'none', 'true', 'match'];
  const fields: Record<string, unknown> = Object.fromEntries(fieldNames.map((name) => [name, { ...plain, description: `A field named ${name}.` }]));
  fields['type'] = { type: 'string', enum: ['1st', 'class', 'a b', 'ünï', '', '😀', 'None', 'type'], description: 'Values that are not identifiers. Quotes """ and back\\slashes in a description.' };
  fields['list'] = { type: 'array', items: { type: 'string', enum: ['x-1', 'self'] }, uniqueItems: true };
  fields['int'] = { type: 'integer', minimum: -5 };
  fields['float'] = { type: 'number', exclusiveMaximum: 1.5 };
  fields['bool'] = { type: 'boolean' };
  const eventFields = Object.fromEntries([...fieldNames, 'type', 'list', 'int', 'float', 'bool'].map((name) => [name, name === 'class' || name === 'self' ? 'required' : 'optional']));
  return catalogFrom({
    message: 'Names that clash with Python',
    fields,
    events: {
      class: { owner: 'team-tagplan', description: 'An event named class that carries every clashing field.', fields: eventFields },
      import: { owner: 'team-tagplan', description: 'An event named import.', fields: { from: 'required' } },
      literal: { owner: 'team-tagplan', description: 'Its class would shadow typing.Literal.', fields: { type: 'optional' } },
      client: { owner: 'team-tagplan', description: 'Its class would shadow the langpack Client.', fields: {} },
      event: { owner: 'team-tagplan', description: 'Its class would shadow the Event base class.', fields: { value: 'required' } },
      ping: { owner: 'team-tagplan', description: 'An event without fields.', fields: {} },
    },
    environments: {
      'escaping-env': {
        owner: 'team-tagplan',
        description: 'Names that clash with Python.',
        common_fields: { str: 'required' },
        events: ['class', 'import', 'literal', 'client', 'event'],
      },
      'bare-env': { owner: 'team-tagplan', description: 'An environment without common fields.', common_fields: {}, events: ['ping'] },
    },
  });
}
