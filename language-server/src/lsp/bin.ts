import { runLanguageServer } from './main.js';

runLanguageServer();
