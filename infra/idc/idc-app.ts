import { App } from 'cdktf';

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
