import { join } from 'node:path';
import { repoRoot } from '../view/browser.js';

export const artifactsDir = join(repoRoot, 'test', 'tune-view', 'artifacts');
