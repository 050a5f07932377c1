/** The ownership labels every anklume object carries (incus-mapping.md, Ownership). */
import type { Config } from './desired-types.js'

export const LABEL_MANAGED = 'user.anklume.managed'
export const LABEL_PROJECT = 'user.anklume.project'
export const LABEL_DOMAIN = 'user.anklume.domain'
export const LABEL_TRUST = 'user.anklume.trust_level'
/** The declared `os_image` of an instance, to detect image drift without guessing from fingerprints. */
export const LABEL_IMAGE = 'user.anklume.image'
/**
 * `pending` on a container started without its /etc/anklume context files
 * (the files API failed): the next plan has a `start` that pushes them, and
 * the executor removes the key once they are in.
 */
export const LABEL_CONTEXT = 'user.anklume.context'

export function labels(projectName: string, domain: string): Config {
  return { [LABEL_MANAGED]: 'true', [LABEL_PROJECT]: projectName, [LABEL_DOMAIN]: domain }
}

/** True when the object was created by anklume for this infra (`project_name`). */
export function isOurs(config: Config | undefined, projectName: string): boolean {
  return config?.[LABEL_MANAGED] === 'true' && config[LABEL_PROJECT] === projectName
}
