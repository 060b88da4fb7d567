import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import type { FastifyReply } from 'fastify'
import { Deadlines, helmetHeaders } from '../../src/plugins/security.js'

t.test('helmetHeaders records what helmet sets, once', async (t) => {
  const headers = helmetHeaders({ contentSecurityPolicy: false })
  t.equal(headers['x-frame-options'], 'SAMEORIGIN')
  t.equal(headers['x-content-type-options'], 'nosniff')
  t.equal(headers['strict-transport-security'], 'max-age=31536000; includeSubDomains')
  t.equal(headers['cross-origin-opener-policy'], 'same-origin')
  t.notOk('content-security-policy' in headers, 'CSP off as asked')
  t.ok(
    Object.keys(headers).every((name) => name === name.toLowerCase()),
    'names lower-cased'
  )

  const withCsp = helmetHeaders({ contentSecurityPolicy: { directives: { 'default-src': ["'none'"] } } })
  t.match(withCsp['content-security-policy'], /^default-src 'none'/)
  t.same(helmetHeaders({ xFrameOptions: { action: 'deny' } })['x-frame-options'], 'DENY', 'options reach helmet')
})

/** A reply as far as Deadlines looks at it. */
function fakeReply(): FastifyReply & { sent: boolean } {
  return { sent: false, raw: { destroyed: false } } as unknown as FastifyReply & { sent: boolean }
}

/** Waits for a condition the timers will bring about; the test asserts outcomes and order, never durations. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 5000) throw new Error('condition not reached within 5 s')
    await sleep(5)
  }
}

t.test('Deadlines: one timer for every request in flight, oldest first', async (t) => {
  const expired: FastifyReply[] = []
  const deadlines = new Deadlines(40, (reply) => expired.push(reply))
  t.teardown(() => deadlines.close())

  const slow = fakeReply()
  const done = fakeReply()
  const gone = fakeReply()
  deadlines.add(slow)
  const doneEntry = deadlines.add(done)
  deadlines.add(gone)
  t.equal(deadlines.size, 3)
  deadlines.delete(doneEntry) // answered in time: onResponse removes it
  ;(gone.raw as { destroyed: boolean }).destroyed = true // the client went away
  await until(() => deadlines.size === 0)
  t.same(expired, [slow], 'only the unanswered request with a live client is answered by the deadline')

  // Added while the timer is armed for the first: the sweep re-arms for the second.
  const first = fakeReply()
  const second = fakeReply()
  deadlines.add(first)
  await sleep(20)
  deadlines.add(second)
  await until(() => expired.length === 3)
  t.same(expired, [slow, first, second], 'in the order of their deadlines')
  t.equal(deadlines.size, 0)

  const sent = fakeReply()
  deadlines.add(sent)
  sent.sent = true
  await until(() => deadlines.size === 0)
  t.equal(expired.length, 3, 'a reply already sent is left alone')
})

t.test('Deadlines: deleting from the head, the middle and the tail keeps the rest in order; a second delete is a no-op', async (t) => {
  const expired: FastifyReply[] = []
  const deadlines = new Deadlines(30, (reply) => expired.push(reply))
  t.teardown(() => deadlines.close())

  const replies = Array.from({ length: 6 }, fakeReply)
  const entries = replies.map((reply) => deadlines.add(reply))
  for (const i of [0, 2, 5]) deadlines.delete(entries[i]!)
  deadlines.delete(entries[2]!)
  t.equal(deadlines.size, 3, 'each entry counted once')
  await until(() => deadlines.size === 0)
  t.same(expired, [replies[1], replies[3], replies[4]], 'the remaining requests expire, oldest first')
  deadlines.delete(entries[3]!) // onResponse of a request the sweep already answered
  t.equal(deadlines.size, 0, 'deleting a swept entry changes nothing')

  // Emptied by deletes alone, it still arms its timer for the next request.
  const again = deadlines.add(fakeReply())
  deadlines.delete(again)
  const last = fakeReply()
  deadlines.add(last)
  await until(() => expired.length === 4)
  t.equal(expired[3], last)
})

t.test('Deadlines: close drops every pending entry and its timer', async (t) => {
  const expired: FastifyReply[] = []
  const deadlines = new Deadlines(20, (reply) => expired.push(reply))
  t.teardown(() => deadlines.close())
  deadlines.add(fakeReply())
  deadlines.add(fakeReply())
  deadlines.close()
  t.equal(deadlines.size, 0)
  // Had close kept them, both would expire before a request added later: order shows it, no waiting on a clock.
  const later = fakeReply()
  deadlines.add(later)
  await until(() => expired.length > 0)
  t.same(expired, [later], 'nothing added before close expires')
})
