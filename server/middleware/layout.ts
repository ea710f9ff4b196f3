import type { RequestHandler, Response } from 'express'

type RenderCallback = (error: Error | null, html: string) => void

/** What a view tells the layout: its title, and (false) that it is a whole document of its own, like the print page. */
export interface PageFrame {
  title: string
  layout: boolean
}

/**
 * Every page is its view inside the one layout (views/layout.ejs): the view is rendered first, naming itself with
 * `frame.title`, then placed in the layout as `body`. Status codes and callbacks work as with Express's own render.
 */
export const withLayout: RequestHandler = (_req, res, next) => {
  const render = res.render.bind(res) as (view: string, options: object, callback: RenderCallback) => void
  res.render = ((view: string, options?: object | RenderCallback, callback?: RenderCallback) => {
    const locals = typeof options === 'function' ? {} : (options ?? {})
    const done = typeof options === 'function' ? (options as RenderCallback) : callback
    const finish: RenderCallback = done ?? ((error, html) => (error ? res.req.next!(error) : res.send(html)))
    const frame: PageFrame = { title: '', layout: true }
    render(view, { ...locals, frame }, (error, body) => {
      if (error) return finish(error, '')
      if (!frame.layout) return finish(null, body)
      render('layout', { ...locals, frame, body }, finish)
    })
  }) as Response['render']
  next()
}
