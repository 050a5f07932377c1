/** Projects and profiles. */
import { type Core, seg } from '../core.js'
import type { MutationOptions } from '../types/common.js'
import type { Operation } from '../types/operation.js'
import type { Profile, ProfilePut, ProfilesPost } from '../types/profile.js'
import type { Project, ProjectPut, ProjectsPost } from '../types/project.js'
import { type Crud, crud } from './crud.js'

export interface ProjectDeleteOptions extends MutationOptions {
  /** Delete the project with everything in it (needs the `projects_force_delete` extension). */
  force?: boolean
}

export interface Projects extends Omit<Crud<Project, ProjectsPost, ProjectPut>, 'delete'> {
  delete(name: string, options?: ProjectDeleteOptions): Promise<Operation | undefined>
}

export type Profiles = Crud<Profile, ProfilesPost, ProfilePut>

export function projectsGroup(core: Core): Projects {
  const base = crud<Project, ProjectsPost, ProjectPut>(core, '/1.0/projects')
  return {
    ...base,
    delete: (name, options = {}) =>
      core.mutate('DELETE', `/1.0/projects/${seg(name)}`, {
        ...options,
        query: options.force ? { force: true } : undefined,
      }),
  }
}

export function profilesGroup(core: Core): Profiles {
  return crud(core, '/1.0/profiles', { extension: 'profiles_all_projects', feature: 'features.profiles' })
}
