"""Messages of CKAN core and of the extensions we use (scheming, spatial, harvest) that their
own Thai catalogues leave untranslated, as our users meet them.

Why a supplementary catalogue: CKAN (flask-babel) merges the catalogues of core and of
every ITranslation plugin in load order, later ones over earlier ones, so a msgid in our
catalogue translates the same msgid in core's templates. Unlike overriding those templates,
this keeps working when CKAN changes a template around the string; a msgid CKAN changes
simply shows up again in the crawl test (tests/l10n/test_crawl.py). Only the ``_`` marker
below is read: babel extracts these into our .pot, and ``make i18n`` keeps them."""
from __future__ import annotations


def _(message: str) -> str:
    """Marks a message for extraction; CKAN translates it where its own templates use it."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Marks a message with a plural form (Thai has one form for every number)."""
    return singular if n == 1 else plural


PLURAL_MESSAGES = (
    ngettext("Dashboard (%(num)d new item)", "Dashboard (%(num)d new items)", 1),
    ngettext("{num} Member", "{num} Members", 1),
    ngettext("{num} Dataset", "{num} Datasets", 1),
)

# Core templates title-case dataset types (``_(dataset_type.title())``) in titles and
# breadcrumbs; the rest are strings of core, scheming, spatial and harvest pages.
MESSAGES = (
    _("Skip to main content"),
    _("Toggle navigation"),
    _("Search Datasets..."),
    _("Search {object_type}s..."),
    _("CKAN Association"),
    _("<strong>Powered by</strong> <a class=\"hide-text ckan-footer-logo\" href=\"http://ckan.org\">CKAN</a>"),
    _("Breadcrumb"),
    _("Profile settings"),
    _("Account"),
    _("Submit"),
    _("Save"),
    _("Cancel"),
    _("You can use <a href=\"#markdown\" title=\"Markdown quick reference\" data-bs-toggle=\"popover\" data-bs-content=\"%(markdown_tooltip)s\" data-bs-html=\"true\">Markdown formatting</a> here"),  # noqa: E501
    _("The <i>data license</i> you select above only applies to the contents of any resource files that you add to this dataset. By submitting this form, you agree to release the <i>metadata</i> values that you enter into the form under the <a href=\"http://opendatacommons.org/licenses/odbl/1-0/\">Open Database License</a>."),  # noqa: E501
    _("Filter by: {title}"),
    _("Search datasets by {name}: {label}"),
    _("Filter by location"),
    _("Dataset extent"),
    # a user's account state, printed as _(user.state) on the user page
    _("active"),
    _("deleted"),
    # the resource preview's button (package/snippets/resource_view.html)
    _("Fullscreen"),
    _("Click here to login"),
    _("You might need to login to access this page."),
    _("Navigate to Home - {site_title}"),
    _("Navigate to dataset: {title}"),
    _("Navigate to resource: {name_or_id}"),
    _("Navigate to resource: {name}"),
    _("Open details page for dataset - {title}"),
    _("Current resource: {name}"),
    _("Resource URL: {url}"),
    _("Manage resource: {name}"),
    _("Data last updated"),
    _("Metadata last updated"),
    _("Dataset description:"),
    _("License not specified"),
    _("Username or Email"),
    _("Last Active"),
    _("Activities"),
    _("All activity types"),
    _("Activity occurred on: {time}"),
    _("{actor} created the {dataset_type} {dataset}"),
    _("{actor} updated the {dataset_type} {dataset}"),
    _("close"),
    _("Facebook"),
    _("Reorder resources"),
    _("Unpublish"),
    _("API Tokens"),
    _("Profile picture URL"),
    _("This information is visible to you and admins"),
    _("There are currently no {object_type}s for this site."),
    _("There are currently no groups for this site."),
    _("There are no datasets associated to this harvest source."),
    _("Error Report"),
    _("errors"),
    _("Source type"),
    _("Frequency"),
    _("Administer CKAN"),
    _("Current Sysadmins"),
    _("Promote user to Sysadmin"),
    _("Revoke Sysadmin permission"),
    _("Open details page for {name}"),
    _("Follow Dataset"),
    _("Open Data"),
    _("This dataset has no data"),
    _("Profile picture"),
    _("username"),
    _("New Package"),
    _("Changed Package"),
    _("Deleted Package"),
    _("Follow Group"),
    _("Follow User"),
    _("New User"),
    _("Changed User"),
    _("New Group"),
    _("Changed Group"),
    _("Deleted Group"),
    _("New Organization"),
    _("Changed Organization"),
    _("Deleted Organization"),
    _("New Resource View"),
    _("Changed Resource View"),
    _("Deleted Resource View"),
    _("View this version"),
    _("Views"),
    _("Data"),
    _("Type"),
    _("Activity type"),
    _("Harvest sources"),
    _("Harvest sources allow importing remote metadata into this catalog. Remote sources can be other catalogs such as other CKAN instances, CSW servers or Web Accessible Folders (WAF) (depending on the actual harvesters enabled for this instance)."),  # noqa: E501
    _("<p>As a sysadmin user you have full control over this CKAN instance. Proceed with care!</p> <p>For guidance on using sysadmin features, see the CKAN <a href=\"%(docs_url)s\" target=\"_blank\" rel=\"noreferrer\">sysadmin guide</a></p>"),  # noqa: E501
    _("Promote"),
    _("Username"),
    _("Poverty-Dataset"),
    _("Agency-Resource"),
    _("Policy-Proposal"),
    _("Poverty-Datasets"),
    _("Agency-Resources"),
    _("Policy-Proposals"),
    _("Harvest"),
)
