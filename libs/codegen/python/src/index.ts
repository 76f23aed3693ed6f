export { generatePython } from './generator';
export { buildPythonView } from './view-model';
export type { PythonView } from './view-model';
export { PYTHON_RESERVED, pythonNamer, pyString } from './python.facts';
