import { runFolder } from '../runner';

export function run(): Promise<void> {
  return runFolder(__dirname);
}
