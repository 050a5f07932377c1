/** `GET /1.0/resources` (only the parts callers rely on are typed tightly). */
export interface Resources {
  cpu: {
    architecture: string
    total: number
    sockets?: unknown[]
  }
  memory: {
    total: number
    used: number
    free?: number
    hugepages_total?: number
    [key: string]: unknown
  }
  gpu?: { total: number; cards?: unknown[] }
  network?: { total: number; cards?: unknown[] }
  storage?: { total: number; disks?: unknown[] }
  system?: Record<string, unknown>
  load?: { average_1min?: number; average_5min?: number; average_15min?: number; processes?: number }
  [key: string]: unknown
}
