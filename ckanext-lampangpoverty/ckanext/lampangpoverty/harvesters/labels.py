"""Messages of ckanext-harvest's pages (source form, source and job pages) and of our
harvesters' names, listed so that our Thai catalogue carries them: ckanext-harvest 1.6.3
ships no Thai translation, and CKAN looks a message up in every plugin's catalogue.
`make i18n` extracts them; ``N_`` marks a message without translating it (the harvesters'
names are translated when shown)."""


def N_(message: str) -> str:
    return message


HARVEST_MESSAGES = (
    N_("Harvest Sources"), N_("Harvest sources"), N_("Add Harvest Source"),
    N_("Create Harvest Source"), N_("Create harvest source"), N_("Edit harvest source"),
    N_("View harvest source"), N_("Search harvest sources..."),
    N_("Sorry no harvest sources found"), N_('Sorry no harvest sources found for "{query}"'),
    N_("There is no description for this harvest source"),
    N_("This should include the http:// part of the URL"), N_("eg. A descriptive title"),
    N_("Update frequency"), N_("Configuration"), N_("No organization"),
    N_("Manual"), N_("Hourly"), N_("Daily"), N_("Weekly"), N_("Biweekly"), N_("Monthly"),
    N_("Always"),
    N_("Reharvest"), N_("Clear"), N_("Stop"), N_("Jobs"), N_("Harvest Jobs"),
    N_("Last Harvest Job"), N_("No jobs yet for this source"), N_("Not yet"),
    N_("Job Report"), N_("Job Errors"), N_("Error Summary"), N_("Document Errors"),
    N_("documents with errors"), N_("View full job report"), N_("Back to job list"),
    N_("No errors for this job"), N_("Only the 20 most frequent errors are shown"),
    N_("Remote content"), N_("Local content"), N_("Delete source"),
    N_("Delete and clear source"),
    N_("Delete all harvest jobs and existing datasets from this source"),
    N_("Start a new harvesting job for this harvest source now"),
    N_("This will re-run the harvesting for this source. Any updates at the source will "
       "overwrite the local datasets. Sources with a large number of datasets may take a "
       "significant amount of time to finish harvesting. Please confirm you would like us "
       "to start reharvesting."),
    N_("This will flag the source as deleted but keep all its datasets and previous jobs. "
       "Are you sure you want to delete this harvest source?"),
    N_("Warning: Apart from deleting this source, this command will remove all its datasets, "
       "as well as all previous job reports. Are you sure you want to continue?"),
    N_("Warning: This will remove all datasets for this source, as well as all previous job "
       "reports. Are you sure you want to continue?"),
)


def message(msgid: str, **params: object) -> dict[str, object]:
    """A message to store (a record's warning) and translate when it is shown, so that the
    job page reads it in the reader's language: the msgid and its parameters, which may be
    messages themselves."""
    return {"msgid": msgid, "params": params}


def render(stored: object) -> str:
    """A stored message in the current language (a plain string is shown as it is)."""
    import ckan.plugins.toolkit as tk

    if not isinstance(stored, dict) or "msgid" not in stored:
        return str(stored)
    params = {key: render(value) for key, value in (stored.get("params") or {}).items()}
    try:
        return tk._(str(stored["msgid"])) % params
    except (KeyError, TypeError, ValueError):
        return str(stored["msgid"]) % params
