import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { LocalBackend, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { isAbsolute } from 'node:path';

/** Props of {@link KubernetesStack}. */
export interface KubernetesStackProps {
  /**
   * Local-backend state file, relative to the stack's working directory
   * (`<cdktf.out>/stacks/<name>`). Must be relative: synthesized output never carries a
   * path of the machine that built it.
   */
  readonly statePath: string;
}

/** Terraform version range the synthesized JSON is written for. */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.5.0';

/**
 * A Terraform stack talking to the IDC cluster. The provider reads the cluster from
 * Terraform variables (`kubeconfig_path`, `kubeconfig_context`) rather than from the
 * environment of whoever synthesized it, so the same output plans against any cluster the
 * platform engineer points it at.
 */
export class KubernetesStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: KubernetesStackProps) {
    super(scope, id);
    if (isAbsolute(props.statePath) || /^[A-Za-z]:[\\/]/.test(props.statePath)) {
      throw new Error(`${id}: statePath must be relative to the stack's working directory, got "${props.statePath}"`);
    }
    new LocalBackend(this, { path: props.statePath });
    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
    const path = new TerraformVariable(this, 'kubeconfig_path', {
      type: 'string',
      default: '~/.kube/config',
      description: 'Kubeconfig file giving access to the IDC cluster.',
    });
    const context = new TerraformVariable(this, 'kubeconfig_context', {
      type: 'string',
      default: '',
      description: 'Kubeconfig context of the IDC cluster; empty uses the current context.',
    });
    new KubernetesProvider(this, 'kubernetes', { configPath: path.stringValue, configContext: context.stringValue });
  }
}
