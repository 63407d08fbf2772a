import { readFileSync } from 'node:fs';
import { packagePath } from './package-files.js';

const manifest = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as {
  name: string;
  version: string;
};

export const toolName: string = manifest.name;
export const toolVersion: string = manifest.version;
