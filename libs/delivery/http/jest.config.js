module.exports = { ...require('../../../jest.preset.js'), displayName: 'delivery-http', rootDir: __dirname };
