/**
 * tap's `after` script: stops the run's shared demo store. A run that ends without
 * it (interrupted) leaves nothing either: the store stops when the runner is gone.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { sharedStoreFiles, type SharedStoreState } from '../helpers/demo-store.js'
import { isAlive } from '../helpers/processes.js'

const files = sharedStoreFiles(process.ppid)
if (existsSync(files.state)) {
  const { pid } = JSON.parse(readFileSync(files.state, 'utf8')) as SharedStoreState
  const alive = () => isAlive(pid)
  if (alive()) process.kill(pid, 'SIGTERM')
  for (let waited = 0; waited < 5000 && alive(); waited += 50) await new Promise((resolve) => setTimeout(resolve, 50))
  if (alive()) process.kill(pid, 'SIGKILL')
  rmSync(files.state, { force: true })
  rmSync(files.log, { force: true })
}
