import { App, type StackManifest } from 'cdktf';

/** Props of {@link IdcApp}. */
export interface IdcAppProps {
  /** Folder the Terraform JSON is written to (`<out>/cdktf.out`). */
  readonly outdir: string;
}

/**
 * The CDKTF app holding the IDC stacks, configured for reproducible output: no stack
 * traces (they carry absolute paths of the building machine) and no context from the
 * environment beyond what cdktf itself reads.
 */
export class IdcApp extends App {
  constructor(props: IdcAppProps) {
    super({ outdir: props.outdir, stackTraces: false, hclOutput: false });
  }
}

/** One stack's entry in cdktf's `manifest.json`. */
export type IdcManifestEntry = StackManifest;

/**
 * Writes `manifest.json` into `outdir` listing `stacks` (entries of the manifests cdktf wrote
 * for parts of one app, e.g. CI shards), through cdktf's own writer, so that it is the file
 * `App.synth()` writes for the whole app.
 */
export function writeIdcManifest(outdir: string, stacks: Readonly<Record<string, IdcManifestEntry>>): void {
  const { manifest } = new IdcApp({ outdir });
  Object.assign(manifest.stacks, stacks);
  manifest.writeToFile();
}
