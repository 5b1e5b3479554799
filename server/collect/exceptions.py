"""What can go wrong when a phone talks to us, each with its HTTP status.

The messages are shown by ODK Collect to field staff, so they are Chinese, short
and say what to do. collect.views.openrosa_exception_handler turns these into
OpenRosaResponse documents; services and openrosa.py only raise them.
"""


class CollectError(Exception):
    status_code = 400
    message = "提交失败"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message


class MalformedSubmission(CollectError):
    status_code = 400
    message = "提交内容无法解析，请在手机上重新保存后再发送"


class MissingSubmissionFile(CollectError):
    status_code = 400
    message = "缺少 xml_submission_file，请使用 ODK Collect 发送"


class MissingInstanceId(CollectError):
    status_code = 400
    message = "提交缺少 meta/instanceID，请更新表单后重新填写"


class InvalidAttachmentName(CollectError):
    status_code = 400
    message = "附件文件名不合法（不能包含路径），请联系管理员"


class FormNotFound(CollectError):
    status_code = 404
    message = "服务器上没有这个表单，请先获取最新表单"


class FormVersionNotFound(CollectError):
    status_code = 404
    message = "服务器上没有这个表单版本，请获取最新表单后重新填写"


class FormClosed(CollectError):
    status_code = 403
    message = "该表单已停止接收数据，请联系镇管理人员"


class SubmissionForbidden(CollectError):
    status_code = 403
    message = "您没有提交此表单的权限"


class OutOfScope(CollectError):
    status_code = 403
    message = "所选村或设施不在您的负责范围内"


class DuplicateSubmission(CollectError):
    """Nothing new: the same XML and all its files are already stored. Not an error for Collect."""

    status_code = 202
    message = "服务器已收到过这条数据，无需重复发送"


class SubmissionConflict(CollectError):
    status_code = 409
    message = "服务器上已有相同编号但内容不同的数据，请联系管理员"


class EditTargetNotFound(CollectError):
    status_code = 404
    message = "要修改的原始数据不在服务器上，请先发送原始数据"


class EditOfSupersededVersion(CollectError):
    status_code = 409
    message = "这条数据已被修改过，请获取最新版本后再修改"


class SubmissionTooLarge(CollectError):
    status_code = 413
    message = "提交内容太大，请减少照片数量或降低照片分辨率"


class FormPublishError(CollectError):
    """An XLSForm that pyxform cannot convert, or a version clash; message is pyxform's."""

    status_code = 400
    message = "表单转换失败"
