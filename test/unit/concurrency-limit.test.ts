import t from 'tap'
import { ConcurrencyLimit } from '../../src/services/concurrency-limit.js'

/** A task that runs until the test lets it finish. */
function gate() {
  let open!: () => void
  let fail!: (err: Error) => void
  const done = new Promise<void>((resolve, reject) => {
    open = resolve
    fail = reject
  })
  return { done, open, fail }
}

const settle = () => new Promise((resolve) => setImmediate(resolve))

t.test('at most `limit` tasks run; the rest start in arrival order as slots free up', async (t) => {
  const limit = new ConcurrencyLimit(2)
  const gates = Array.from({ length: 5 }, gate)
  const started: number[] = []
  const results = gates.map((g, i) =>
    limit.run(async () => {
      started.push(i)
      await g.done
      return i
    })
  )
  await settle()
  t.same(started, [0, 1], 'two run, three wait')
  t.same(limit.load, { running: 2, waiting: 3 })

  gates[1]!.open()
  await settle()
  t.same(started, [0, 1, 2], 'a finished task hands its slot to the first waiter')
  t.same(limit.load, { running: 2, waiting: 2 })

  const failed = t.rejects(results[0]!, /load failed/, 'its caller gets the error')
  gates[0]!.fail(new Error('load failed'))
  await settle()
  t.same(started, [0, 1, 2, 3], 'a failed task frees its slot too')
  await failed

  for (const g of gates) g.open()
  t.same(await Promise.all(results.slice(1)), [1, 2, 3, 4])
  t.same(started, [0, 1, 2, 3, 4])
  t.same(limit.load, { running: 0, waiting: 0 }, 'nothing left behind')
})

t.test('a limit must be a positive integer', async (t) => {
  t.throws(() => new ConcurrencyLimit(0), RangeError)
  t.throws(() => new ConcurrencyLimit(1.5), RangeError)
})
