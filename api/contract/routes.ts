/** The contract, served: /openapi.json and interactive docs at /docs. */
import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import { openApiDocument } from './openapi';

export function contractRoutes(document = openApiDocument()): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.use(
    '/docs',
    swaggerUi.serve,
    swaggerUi.setup(undefined, { swaggerUrl: '/openapi.json', customSiteTitle: '吹哨报到 API' }),
  );
  return router;
}
