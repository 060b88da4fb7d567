import t from 'tap'
import { ClientBudget } from '../../src/services/client-budget.js'
import { reportCost } from '../../src/services/line-loss-service.js'

t.test('a client may start work while its work in progress stays within the limit', async (t) => {
  const budget = new ClientBudget(100)
  const a = budget.tryAcquire('a', 60)!
  t.ok(a, 'the first task starts')
  t.equal(budget.tryAcquire('a', 50), undefined, '60 + 50 is over the limit')
  const b = budget.tryAcquire('b', 50)
  t.ok(b, 'another client has a share of its own')
  const a2 = budget.tryAcquire('a', 40)!
  t.ok(a2, '60 + 40 fits')
  t.equal(budget.used('a'), 100)
  a()
  a()
  t.equal(budget.used('a'), 40, 'a release counts once')
  a2()
  b!()
  t.equal(budget.used('a'), 0)
  t.ok(budget.tryAcquire('a', 500), 'a task over the limit starts when the client has nothing in progress')
  t.throws(() => new ClientBudget(0), RangeError)
})

t.test('a posted report costs 25 plus one per row', async (t) => {
  t.equal(reportCost(0), 25)
  t.equal(reportCost(500), 525)
})
