"""What a review request can get wrong, each with its HTTP status and a Chinese message."""


class ReviewError(Exception):
    status_code = 400
    message = "操作失败"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message


class InvalidTransition(ReviewError):
    status_code = 409
    message = "当前状态不能改为该状态"


class ReviewForbidden(ReviewError):
    status_code = 403
    message = "您没有审核该提交的权限"


class CommentEmpty(ReviewError):
    status_code = 400
    message = "意见不能为空"


class SubmissionNotCurrent(ReviewError):
    status_code = 409
    message = "该提交已有新版本，请审核最新版本"


class NoticeNotFound(ReviewError):
    status_code = 404
    message = "通知不存在或不是您的通知"
