import { Type } from '@sinclair/typebox'

// The web viewer the API serves at /app/ (docs/viewer.md).

export const viewerEnv = {
  VIEWER_BASEMAP_STYLE_URL: Type.Optional(
    Type.String({
      pattern: '^https://\\S+$',
      description:
        'A MapLibre style under the orthomosaics of the web viewer (`/app/`), for deployments with internet; its page then also allows images and requests to any `https:` host. Unset: no basemap, and the viewer asks no other host for anything.'
    })
  ),
  VIEWER_DIR: Type.Optional(
    Type.String({ minLength: 1, description: 'The built web viewer: index.html and assets/. Unset: `dist-viewer/` (`npm run build`).' })
  )
}
