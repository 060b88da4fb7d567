import t from 'tap'
import { OUTSIDE_BASE_PATH, stripBasePath } from '../../src/base-path.js'
import { ConfigError, loadConfig } from '../../src/config.js'

t.test('stripBasePath routes what is under the prefix and nothing else', async (t) => {
  t.equal(stripBasePath('/viewer', '/viewer/api/sites?x=1'), '/api/sites?x=1')
  t.equal(stripBasePath('/viewer', '/viewer'), '/')
  t.equal(stripBasePath('/viewer', '/viewer/'), '/')
  t.equal(stripBasePath('/viewer', '/viewer?a=b'), '/?a=b')
  t.equal(stripBasePath('/a/b', '/a/b/health'), '/health')
  t.equal(stripBasePath('/viewer', '/viewerx/api/sites'), OUTSIDE_BASE_PATH, 'a longer first segment is outside')
  t.equal(stripBasePath('/viewer', '/api/sites'), OUTSIDE_BASE_PATH, 'an unprefixed path is outside')
  t.equal(stripBasePath('/viewer', '/'), OUTSIDE_BASE_PATH)
})

t.test('BASE_PATH is validated and normalised', async (t) => {
  t.equal(loadConfig({}).basePath, '')
  t.equal(loadConfig({ BASE_PATH: '/viewer' }).basePath, '/viewer')
  t.equal(loadConfig({ BASE_PATH: '/viewer/' }).basePath, '/viewer', 'a trailing slash is dropped')
  t.equal(loadConfig({ BASE_PATH: '/' }).basePath, '')
  t.equal(loadConfig({ BASE_PATH: '/a/b-c' }).basePath, '/a/b-c')
  for (const bad of ['viewer', '/vi ewer', '/../x', '//x', '/a?b']) {
    t.throws(() => loadConfig({ BASE_PATH: bad }), ConfigError, `rejects ${JSON.stringify(bad)}`)
  }
})
