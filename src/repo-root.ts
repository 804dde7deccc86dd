import { fileURLToPath } from 'node:url';

/** The repository's root folder: relative SQLite paths, the demo data and the built tab are under it. */
export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
