/** A background operation (`/1.0/operations/<id>`). */
export interface Operation {
  id: string
  class: 'task' | 'websocket' | 'token'
  description: string
  created_at: string
  updated_at: string
  /** Running, Success, Failure, Cancelled, ... */
  status: string
  /** 100 created, 103 running, 200 success, 400 failure, 401 cancelled. */
  status_code: number
  resources: Record<string, string[]> | null
  metadata: Record<string, unknown> | null
  may_cancel: boolean
  err: string
  location?: string
}
