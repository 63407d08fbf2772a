import { afterAll } from 'vitest';
import { removeTemporaryFolders } from './tools.js';

// Each test file's temporary folders go when its tests are done (a setup file runs in every test file).
afterAll(removeTemporaryFolders);
