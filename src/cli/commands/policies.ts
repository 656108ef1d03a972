/** `hotplug-lens policies`: the policy names `--policy` and `--what-if` take, with their values. */
import { POLICY_DOCS } from '../../core/model/policy';

export async function runPolicies(): Promise<number> {
  const lines = POLICY_DOCS.map((d) => `${d.name}=${d.values.join('|')}\n    ${d.meaning}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
