import { join } from 'node:path';

/** Name Terraform gives its dependency lock file in a working directory. */
export const TERRAFORM_LOCK_FILE = '.terraform.lock.hcl';

/**
 * The dependency lock file of the Kubernetes provider the renderer writes for, kept in the
 * repository (not in the output, which every build replaces) so that `terraform init` in
 * each synthesized stack installs exactly the provider whose checksums were reviewed here.
 * The build copies it into every stack's working directory.
 */
export const KUBERNETES_PROVIDER_LOCK = join(__dirname, 'terraform', TERRAFORM_LOCK_FILE);

/** Registry address of the provider the lock file pins (what `source = "kubernetes"` means). */
export const KUBERNETES_PROVIDER_ADDRESS = 'registry.terraform.io/hashicorp/kubernetes';
