/** `hotplug-lens policies`: the policy names `--policy` and `--what-if` take, with their values. */
import { POLICY_DOCS } from '../../core/model/policy';
import { print } from '../output';

export async function runPolicies(): Promise<number> {
  const lines = POLICY_DOCS.map((d) => `${d.name}=${d.values.join('|')}\n    ${d.meaning}`);
  print(`${lines.join('\n')}\n`);
  return 0;
}
