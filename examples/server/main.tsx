// The whole secure setup on your machine: the reference widget (examples/widget) talks to createChatHandler at
// /api/chat (served by vite.config.ts beside this file, in front of the mock Chat API), with no token in the browser,
// and replies pushed over the handler's event stream (realtime). `npm run example`; `?theme=dark` or `?theme=light`
// overrides the system's colour scheme.
import { createRoot } from 'react-dom/client'
import { ChatApiProvider, serverEvents } from 'socialboards-chat-react'
import { ReferenceWidget, type WidgetTheme } from '../widget'
import './page.css'

const asked = new URLSearchParams(location.search).get('theme')
const theme: WidgetTheme = asked === 'dark' || asked === 'light' ? asked : 'auto'
document.documentElement.dataset.theme = theme

const root = document.getElementById('root')
if (root)
  createRoot(root).render(
    <>
      <h1>Northwind Outfitters</h1>
      <p>Free returns within 30 days. Questions about an order? Our team is one click away, bottom right.</p>
      <ChatApiProvider baseURL="/api/chat/" realtime={serverEvents()}>
        <ReferenceWidget author={{ name: 'Ada', email: 'ada@example.com' }} theme={theme} defaultOpen />
      </ChatApiProvider>
    </>,
  )
