import type { FastifyReply } from 'fastify'
import type { Export } from '../../schemas/exports.js'

/** Sends an export with its media type and a file name to save it under. */
export function sendExport(reply: FastifyReply, exp: Export): FastifyReply {
  return reply
    .header('content-type', exp.contentType)
    .header('content-disposition', `attachment; filename="${exp.filename}"`)
    .send(exp.body)
}
