/* The URL name of a record with a Thai title. CKAN's slug preview keeps only the Latin
 * letters and digits of a title ("สำรวจ อำเภองาว 2569" gives "2569"), so for a title in Thai
 * script the name is left empty and the preview says the portal will name the record when it
 * is saved (catalogue/names.py: type, areas, years). A name typed by hand is kept. Attached to
 * the title input after CKAN's slug-preview-target, so it runs after it. */
this.ckan.module('lampangpoverty-thai-slug', function ($) {
  var THAI = /[\u0e00-\u0e7f]/;
  return {
    initialize: function () {
      var name = $('#field-name');
      var el = this.el;
      var module = this;
      var typedByHand = false;
      if (!name.length || el.val() !== '' || name.val() !== '') { return; }
      this.sandbox.subscribe('slug-preview-modified', function () { typedByHand = true; });
      el.on('keyup.lp-thai-slug input.lp-thai-slug change.lp-thai-slug', function () {
        if (typedByHand || !THAI.test(el.val())) { return; }
        name.val('').trigger('change');
        $('.slug-preview-value').text(
          module._('(named by the portal from the record type, areas and year when saved)'));
      });
    }
  };
});
