/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef DIVERT_SOCKET_FACTORY_IMPL_H
#define DIVERT_SOCKET_FACTORY_IMPL_H

#include "divert-socket-factory.h"

namespace ns3
{

class DivertIpv4L3Protocol;

/**
 * \ingroup divert
 * \brief Creates divert sockets through the node's DivertIpv4L3Protocol.
 */
class DivertSocketFactoryImpl : public DivertSocketFactory
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    DivertSocketFactoryImpl();
    ~DivertSocketFactoryImpl() override;

    /**
     * \brief Set the stack that owns the sockets.
     * \param stack the divert stack
     */
    void SetStack(Ptr<DivertIpv4L3Protocol> stack);

    /**
     * \brief Create a divert socket.
     * \return the socket (in an error state when divert sockets are disabled)
     */
    Ptr<Socket> CreateSocket() override;

  protected:
    void DoDispose() override;

  private:
    Ptr<DivertIpv4L3Protocol> m_stack; //!< the divert stack
};

} // namespace ns3

#endif /* DIVERT_SOCKET_FACTORY_IMPL_H */
