import { expectStatus } from './support/expect-http';
import { databaseModes, startTestRegistry, type StartedTestRegistry } from './support/test-registry';

interface Operation {
  requestBody?: { content: Record<string, { schema: { required?: string[]; example?: Record<string, unknown> } }> };
  security?: unknown[];
}

describe.each(databaseModes())('the OpenAPI document on the %s database', (mode) => {
  let registry: StartedTestRegistry;
  let document: { openapi: string; info: { title: string }; paths: Record<string, Record<string, Operation>>; components: { securitySchemes?: Record<string, { scheme?: string }> } };

  beforeAll(async () => {
    registry = await startTestRegistry({ mode });
    document = expectStatus(await registry.call('GET', '/api/docs-json', undefined, null), 200);
  }, 60_000);

  afterAll(async () => {
    await registry?.close();
    await registry?.destroy();
  });

  test('/api/docs-json is an OpenAPI 3 document of the registry', () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info.title).toBe('Tagplan registry');
    expect(Object.values(document.components.securitySchemes ?? {})).toContainEqual(expect.objectContaining({ scheme: 'bearer' }));
  });

  test('it lists every route of the API, and only these methods', () => {
    const routes = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    const expected = [
      ...['fields', 'events', 'environments'].flatMap((plural) => [
        `GET /api/${plural}`,
        `POST /api/${plural}`,
        `GET /api/${plural}/{name}`,
        `POST /api/${plural}/{name}/versions`,
        `GET /api/${plural}/{name}/versions/{version}`,
      ]),
      'GET /api/environments/{name}/versions/{version}/schemas',
      'GET /api/environments/{name}/versions/{version}/langpacks/{language}',
      'GET /api/changelog',
      'POST /api/catalog/apply',
      'GET /api/catalog/export',
      'GET /api/catalog/snapshot',
      'GET /api/admin/users',
      'POST /api/admin/users',
      'GET /api/admin/tokens',
      'POST /api/admin/tokens',
      'POST /api/admin/tokens/{id}/revoke',
      'GET /api/auth/whoami',
      'GET /api/health',
      'POST /api/environments/{name}/keys',
      'GET /api/environments/{name}/keys',
      'POST /api/environments/{name}/keys/{id}/revoke',
      'GET /api/keys',
      'GET /api/routes',
      'GET /api/routes/versions',
      'POST /api/routes/versions',
      'GET /api/routes/versions/{version}',
      'GET /api/collector/catalog',
      'POST /api/collector/counts',
      'GET /api/events/{name}/versions/{version}/counts',
      'GET /api/counts',
    ];
    expect([...routes].sort()).toEqual([...expected].sort());
  });

  test('write bodies are described, with message required', () => {
    for (const path of ['/api/fields', '/api/events', '/api/environments']) {
      const schema = document.paths[path]?.['post']?.requestBody?.content['application/json']?.schema;
      expect(schema?.required).toEqual(expect.arrayContaining(['name', 'message']));
      const versionSchema = document.paths[`${path}/{name}/versions`]?.['post']?.requestBody?.content['application/json']?.schema;
      expect(versionSchema?.required).toContain('message');
    }
  });

  test('the documented examples are accepted by the API as they stand', async () => {
    // what the examples refer to
    expectStatus(await registry.call('POST', '/api/fields', { name: 'item_id', type: 'integer', message: 'Items' }), 201);
    expectStatus(await registry.call('POST', '/api/fields', { name: 'session_id', type: 'string', message: 'Sessions' }), 201);
    for (const path of ['/api/fields', '/api/events', '/api/environments']) {
      const example = document.paths[path]?.['post']?.requestBody?.content['application/json']?.schema.example;
      expect(example).toBeDefined();
      expectStatus(await registry.call('POST', path, example), 201);
      const name = (example as { name: string }).name;
      const versionExample = document.paths[`${path}/{name}/versions`]?.['post']?.requestBody?.content['application/json']?.schema.example;
      // the version example is the creation example without the name: valid, and identical, so "unchanged"
      expect(expectStatus(await registry.call('POST', `${path}/${name}/versions`, versionExample), 409).error).toBe('unchanged');
    }
  });

  test('/api/docs serves the interactive documentation as HTML', async () => {
    const response = await fetch(`${registry.url}/api/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toMatch(/swagger-ui/i);
  });
});
