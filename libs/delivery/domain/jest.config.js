module.exports = { ...require('../../../jest.preset.js'), displayName: 'delivery-domain', rootDir: __dirname };
