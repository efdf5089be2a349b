/* Injected by the Qt layer after qwebchannel.js: hands the page its bridge.
 * The exported HTML has no Qt, so it never sees this file. */
(function () {
  'use strict';
  if (!window.qt || !window.qt.webChannelTransport) { return; }
  new QWebChannel(window.qt.webChannelTransport, function (channel) {
    var bridge = channel.objects.bridge;
    function attach() {
      if (window.mapviewer) { window.mapviewer.attachBridge(bridge); }
      else { setTimeout(attach, 20); }
    }
    attach();
  });
})();
