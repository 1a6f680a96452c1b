// Decap starts only when baocao-cms.js has registered its file format and widgets.
window.CMS_MANUAL_INIT = true;
