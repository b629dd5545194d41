// The preload hands the page one MessagePort to the host and nothing else: no Node, no ipcRenderer.
import { contextBridge, ipcRenderer } from 'electron';

contextBridge.exposeInMainWorld('casebench', { shell: 'electron' });

ipcRenderer.on('casebench:port', (event) => {
  // Transfer the port into the page's world; the renderer's connect.ts listens for this message.
  window.postMessage(
    { type: 'casebench:port' },
    window.location.origin === 'null' ? '*' : window.location.origin,
    event.ports,
  );
});

window.addEventListener('DOMContentLoaded', () => ipcRenderer.send('casebench:hello'));
