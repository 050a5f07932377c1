import { stringify } from 'yaml'

/**
 * YAML as Ansible reads it: Ansible uses YAML 1.1, where `yes`, `on`, `0660`
 * or `1:30` are not strings, so strings that 1.1 would read otherwise are
 * quoted. Nulls print as nothing (`host:`), sequences are indented under
 * their key, long strings are never folded.
 */
export function toAnsibleYaml(value: unknown): string {
  return stringify(value, { version: '1.1', nullStr: '', lineWidth: 0, indentSeq: true })
}
