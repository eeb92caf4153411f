-- Orthanc as the DIMSE front end of openbct: every instance a modality sends by C-STORE is forwarded
-- to openbct's STOW-RS endpoint (FORWARD_URL, e.g. https://openbct.example/dicom-web/studies) and,
-- once accepted, deleted from Orthanc (Orthanc only relays). A failed forward keeps the instance in
-- Orthanc and logs the error, so nothing is lost: an operator can resend it from Orthanc Explorer.
-- FORWARD_URL, FORWARD_USER and FORWARD_PASSWORD are defined by a Lua file listed before this one.

function OnStoredInstance(instanceId, tags, metadata, origin)
  -- Only what arrived over DIMSE: instances uploaded over REST/DICOMweb are left alone.
  if origin["RequestOrigin"] ~= "DicomProtocol" then
    return
  end
  local dicom = RestApiGet('/instances/' .. instanceId .. '/file')
  local boundary = 'openbct-orthanc-' .. instanceId
  local body = '--' .. boundary .. '\r\n' ..
               'Content-Type: application/dicom\r\n\r\n' ..
               dicom .. '\r\n--' .. boundary .. '--\r\n'
  local headers = {
    ['Content-Type'] = 'multipart/related; type="application/dicom"; boundary=' .. boundary,
    ['Accept'] = 'application/dicom+json',
  }
  if FORWARD_USER ~= nil and FORWARD_USER ~= '' then
    SetHttpCredentials(FORWARD_USER, FORWARD_PASSWORD)
  end
  local ok, answer = pcall(HttpPost, FORWARD_URL, body, headers)
  if ok and answer ~= nil then
    PrintRecursive('openbct forward: ' .. tags['SOPInstanceUID'] .. ' sent to ' .. FORWARD_URL)
    Delete(instanceId)
  else
    PrintRecursive('openbct forward FAILED, instance kept in Orthanc: ' .. instanceId)
  end
end
