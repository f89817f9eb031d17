/**
 * The report's inventories of the CloudFormation templates, kept in the build cache under
 * each template's SHA-256 (which the AWS step knows from the file store: `templateHashes`).
 * Computing an inventory means parsing the template (at 1,000 cooperatives 1,133 templates,
 * ~170 MB) and walking every value; reading it back is a small JSON file (~19 MB in all).
 * An entry is sealed like every other (`build-cache.ts`): one that does not open is computed
 * again and rewritten. With `--verify-cache` every inventory is computed and its entry
 * rewritten, so a forged entry is never read by such a build and is replaced.
 */
import { join } from 'node:path';
import type { StackInventory } from '../infra/report/inventory';
import type { ReadReportOptions } from '../infra/report/read';
import { entryFileName, INVENTORY_CACHE, openEntry, touchEntry, writeEntry } from './build-cache';
import { sourceHash } from './source-files';

const FORMAT = 'coop-idc-inventory/1';

/** The key of the inventory of `file` whose bytes hash to `sha256`: the template, where it lies (its stack's name) and the code. */
export function inventoryKey(file: string, sha256: string): unknown {
  return { format: FORMAT, file, template: sha256, sources: sourceHash() };
}

/** What the lookups did (entries read, inventories computed, entries rejected), for the tests. */
export interface InventoryTally {
  read: number;
  computed: number;
  rejected: number;
}

/**
 * The `stackInventory` of `readReportInputs` over the cache in `cacheDir`: a file of known
 * hash is looked up, computed and stored when its entry is missing or rejected; a file of
 * unknown hash (not from the file store, or not a template) is computed as usual.
 */
export function cachedInventories(cacheDir: string, hashes: ReadonlyMap<string, string>, options: { readonly verify?: boolean; readonly tally?: InventoryTally } = {}): NonNullable<ReadReportOptions['stackInventory']> {
  const tally = options.tally ?? { read: 0, computed: 0, rejected: 0 };
  return (file, read) => {
    const sha256 = hashes.get(file);
    if (sha256 === undefined) return read();
    const key = inventoryKey(file, sha256);
    const entry = join(cacheDir, INVENTORY_CACHE, entryFileName(key));
    if (!options.verify) {
      const opened = openEntry(entry, INVENTORY_CACHE, key, (c): c is StoredInventory => isInventoryOf(c, file));
      if ('content' in opened) {
        touchEntry(entry);
        tally.read++;
        return withStringsOnDemand(opened.content, read);
      }
      if ('rejected' in opened) tally.rejected++;
    }
    const inventory = read();
    tally.computed++;
    const { strings: _strings, ...stored } = inventory;
    writeEntry(cacheDir, INVENTORY_CACHE, key, stored);
    return inventory;
  };
}

/**
 * An inventory as its entry holds it: without the template's strings, which only attributing
 * a stack that no finding names one cooperative for reads (the platform's and the cells'
 * shared stacks: 133 of 1,133 at 1,000 cooperatives), and which were 60 % of its size.
 */
type StoredInventory = Omit<StackInventory, 'strings'>;

/** `stored` with its `strings` computed from the template (`read`) when first asked for. */
function withStringsOnDemand(stored: StoredInventory, read: () => StackInventory): StackInventory {
  let strings: readonly string[] | undefined;
  return Object.defineProperty({ ...stored } as StackInventory, 'strings', { enumerable: false, get: () => (strings ??= read().strings) });
}

function isInventoryOf(c: unknown, file: string): boolean {
  const i = c as StoredInventory;
  return i !== null && typeof i === 'object' && i.kind === 'cloud' && i.file === file && typeof i.stack === 'string' && Array.isArray(i.resources) && !('strings' in i);
}
