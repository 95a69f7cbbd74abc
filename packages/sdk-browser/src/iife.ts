/** The script-tag build's entry: sets `window.Tessera = { createClient, TesseraError }`. */
import { createClient, TesseraError } from './index.ts';

(globalThis as { Tessera?: unknown }).Tessera = { createClient, TesseraError };
